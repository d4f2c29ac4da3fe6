package aws

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ctypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
)

func TestRecordsAllManagementEvents(t *testing.T) {
	classic := func(rw ctypes.ReadWriteType, mgmt bool, exclude ...string) ctypes.EventSelector {
		return ctypes.EventSelector{ReadWriteType: rw, IncludeManagementEvents: aws.Bool(mgmt), ExcludeManagementEventSources: exclude}
	}
	adv := func(fields ...ctypes.AdvancedFieldSelector) ctypes.AdvancedEventSelector {
		return ctypes.AdvancedEventSelector{Name: aws.String("Management events selector"), FieldSelectors: fields}
	}
	mgmt := field("eventCategory", "Management")
	tests := []struct {
		name     string
		classic  []ctypes.EventSelector
		advanced []ctypes.AdvancedEventSelector
		want     bool
	}{
		{name: "no selectors"},
		{name: "classic all", classic: []ctypes.EventSelector{classic(ctypes.ReadWriteTypeAll, true)}, want: true},
		{name: "classic all without management events", classic: []ctypes.EventSelector{classic(ctypes.ReadWriteTypeAll, false)}},
		{name: "classic read-only", classic: []ctypes.EventSelector{classic(ctypes.ReadWriteTypeReadOnly, true)}},
		{name: "classic write-only", classic: []ctypes.EventSelector{classic(ctypes.ReadWriteTypeWriteOnly, true)}},
		{name: "classic read-only plus write-only", want: true,
			classic: []ctypes.EventSelector{classic(ctypes.ReadWriteTypeReadOnly, true), classic(ctypes.ReadWriteTypeWriteOnly, true)}},
		{name: "classic all excluding kms", classic: []ctypes.EventSelector{classic(ctypes.ReadWriteTypeAll, true, "kms.amazonaws.com")}},
		{name: "classic all excluding rds data api", classic: []ctypes.EventSelector{classic(ctypes.ReadWriteTypeAll, true, "rdsdata.amazonaws.com")}},
		{name: "classic excluding kms plus a full one", want: true,
			classic: []ctypes.EventSelector{classic(ctypes.ReadWriteTypeAll, true, "kms.amazonaws.com"), classic(ctypes.ReadWriteTypeAll, true)}},
		{name: "advanced management", advanced: []ctypes.AdvancedEventSelector{adv(mgmt)}, want: true},
		{name: "advanced read-only", advanced: []ctypes.AdvancedEventSelector{adv(mgmt, field("readOnly", "true"))}},
		{name: "advanced write-only", advanced: []ctypes.AdvancedEventSelector{adv(mgmt, field("readOnly", "false"))}},
		{name: "advanced read-only plus write-only", want: true,
			advanced: []ctypes.AdvancedEventSelector{adv(mgmt, field("readOnly", "true")), adv(mgmt, field("readOnly", "false"))}},
		{name: "advanced readOnly not-equals true is write-only",
			advanced: []ctypes.AdvancedEventSelector{adv(mgmt, ctypes.AdvancedFieldSelector{Field: aws.String("readOnly"), NotEquals: []string{"true"}})}},
		{name: "advanced excluding kms", advanced: []ctypes.AdvancedEventSelector{adv(mgmt,
			ctypes.AdvancedFieldSelector{Field: aws.String("eventSource"), NotEquals: []string{"kms.amazonaws.com"}})}},
		{name: "advanced data events only", advanced: []ctypes.AdvancedEventSelector{adv(field("eventCategory", "Data"), field("resources.type", "AWS::S3::Object"))}},
		{name: "advanced named like the console but empty", advanced: []ctypes.AdvancedEventSelector{adv()}},
		{name: "advanced eventCategory not-equals data",
			advanced: []ctypes.AdvancedEventSelector{adv(ctypes.AdvancedFieldSelector{Field: aws.String("eventCategory"), NotEquals: []string{"Data"}})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := recordsAllManagementEvents(tt.classic, tt.advanced); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func field(name string, equals ...string) ctypes.AdvancedFieldSelector {
	return ctypes.AdvancedFieldSelector{Field: aws.String(name), Equals: equals}
}
