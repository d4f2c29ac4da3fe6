package awsfake

import (
	"fmt"
	"net/http"
	"strings"
)

func init() {
	registerService(fakeService{name: "cloudwatch", signingName: "monitoring", protocol: awsQuery,
		accept: acceptQueryOnly,
		handlers: map[string]handler{
			"DescribeAlarmsForMetric": answer((*Server).describeAlarmsForMetric),
		}})
}

// acceptQueryOnly refuses a CloudWatch request that is not awsQuery. vigil
// pins service/cloudwatch to v1.52.0, the last release that speaks
// awsQuery: moto 5.2.1 answers the RPCv2-CBOR requests of later releases
// with 404 (docs/aws.md, "Dependencies"). A CBOR request here means the
// pin was lifted.
func acceptQueryOnly(r *http.Request) *apiError {
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		return errorf(400, "SerializationException",
			"CloudWatch request with Content-Type %q at %s: the fake, like moto 5.2.1, speaks only awsQuery to CloudWatch; "+
				"keep github.com/aws/aws-sdk-go-v2/service/cloudwatch at v1.52.0 (docs/aws.md, Dependencies)", ct, r.URL.Path)
	}
	return nil
}

// Alarm is one CloudWatch metric alarm.
type Alarm struct {
	Account, Region, Name string
	MetricName, Namespace string
	ActionsEnabled        bool
	Actions               []string
}

// ARN returns the alarm's ARN.
func (a Alarm) ARN() string {
	return fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", a.Region, a.Account, a.Name)
}

// describeAlarmsForMetric lists the alarms on one metric, by name and
// namespace, in the caller's account and region.
func (s *Server) describeAlarmsForMetric(req *request) string {
	name, ns := req.form.Get("MetricName"), req.form.Get("Namespace")
	var b strings.Builder
	b.WriteString("<MetricAlarms>")
	for _, a := range s.world.Alarms {
		if a.Account != req.account || a.Region != req.region || a.MetricName != name || a.Namespace != ns {
			continue
		}
		fmt.Fprintf(&b, "<member><AlarmName>%s</AlarmName><AlarmArn>%s</AlarmArn><ActionsEnabled>%t</ActionsEnabled><AlarmActions>",
			esc(a.Name), esc(a.ARN()), a.ActionsEnabled)
		for _, act := range a.Actions {
			fmt.Fprintf(&b, "<member>%s</member>", esc(act))
		}
		fmt.Fprintf(&b, "</AlarmActions><MetricName>%s</MetricName><Namespace>%s</Namespace><StateValue>OK</StateValue></member>",
			esc(a.MetricName), esc(a.Namespace))
	}
	b.WriteString("</MetricAlarms>")
	return b.String()
}
