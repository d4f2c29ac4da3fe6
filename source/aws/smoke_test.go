package aws

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ctypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"vigil/entity"
	"vigil/source/aws/awsfake"
)

func TestSmoke(t *testing.T) {
	lg := awsfake.LogGroup{Account: "111111111111", Region: "us-east-1", Name: "ct", Filters: []awsfake.MetricFilter{
		{Name: "f1", Pattern: "{ $.x = 1 }", Transformations: []awsfake.Transformation{{MetricName: "m1", Namespace: "CIS", Value: "1"}}},
	}}
	w := awsfake.World{Account: "111111111111", Regions: []awsfake.Region{{Name: "us-east-1"}, {Name: "eu-west-1"}},
		Trails: []awsfake.Trail{{Name: "main", Account: "111111111111", HomeRegion: "us-east-1", MultiRegion: true,
			LogGroupARN: lg.ARN(), Status: awsfake.TrailStatus{IsLogging: true, LatestCloudWatchLogsDeliveryTime: time.Now()},
			EventSelectors: []ctypes.EventSelector{{ReadWriteType: ctypes.ReadWriteTypeAll, IncludeManagementEvents: aws.Bool(true)}},
			Tags:           map[string]string{"a": "b"}}},
		LogGroups: []awsfake.LogGroup{lg},
		Alarms:    []awsfake.Alarm{{Account: "111111111111", Region: "us-east-1", Name: "a1", MetricName: "m1", Namespace: "CIS", ActionsEnabled: true, Actions: []string{"arn:aws:sns:us-east-1:111111111111:t"}}},
		Topics:    []awsfake.Topic{{ARN: "arn:aws:sns:us-east-1:111111111111:t", Subscriptions: []string{"PendingConfirmation", "arn:aws:sns:us-east-1:111111111111:t:1"}}},
	}
	srv := awsfake.NewServer(w)
	defer srv.Close()
	inv, err := Collect(context.Background(), Options{Endpoint: srv.URL, Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		MaxBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	inv.Encode(os.Stdout)
	t.Log(srv.Calls())
	_ = entity.Version
}
