package e2e

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/google/go-cmp/cmp"

	vigilaws "vigil/source/aws"
)

// TestMotoInstances seeds, through the EC2 and IAM APIs, an instance
// launched with an instance profile, one without, and one terminated; vigil
// collects the two that are not terminated, with the profile's ARN, and
// VIGIL.AWS.EC2.03 (CIS 1.17) passes the first and fails the second.
func TestMotoInstances(t *testing.T) {
	motoEndpoint(t)
	account := motoAccount()
	ctx := context.Background()
	cfg := motoConfig(t, account)
	ic := iam.NewFromConfig(cfg)
	_, err := ic.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("web"), AssumeRolePolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
	check(t, "create role", err)
	profile, err := ic.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("web")})
	check(t, "create instance profile", err)
	_, err = ic.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web"), RoleName: aws.String("web")})
	check(t, "add role to profile", err)

	ec := ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.Region = "us-east-1" })
	images, err := ec.DescribeImages(ctx, &ec2.DescribeImagesInput{})
	check(t, "describe images", err)
	if len(images.Images) == 0 {
		t.Fatal("moto lists no image to launch")
	}
	launch := func(name string, profile *ec2types.IamInstanceProfileSpecification) string {
		out, err := ec.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: images.Images[0].ImageId, MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
			IamInstanceProfile: profile, TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeInstance,
				Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}}}})
		check(t, "run instance "+name, err)
		return aws.ToString(out.Instances[0].InstanceId)
	}
	launch("web", &ec2types.IamInstanceProfileSpecification{Name: aws.String("web")})
	launch("batch", nil)
	gone := launch("gone", nil)
	_, err = ec.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{gone}})
	check(t, "terminate", err)

	inv := collectFromMoto(t, account, []string{"us-east-1"}, vigilaws.TypeInstance)
	if len(inv.Failures) != 0 {
		t.Errorf("failures %v", inv.Failures)
	}
	var got []string
	for _, e := range inv.Entities {
		p, _ := e.Attrs["iamInstanceProfile"].(map[string]any)
		got = append(got, e.Name+" "+e.Attrs["state"].(string)+" "+fmt.Sprint(p["arn"]))
	}
	slices.Sort(got)
	want := []string{"batch running <nil>", "web running " + aws.ToString(profile.InstanceProfile.Arn)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("instances (-want +got):\n%s", diff)
	}
	run, err := catalogPlanOn(t, vigilaws.TypeInstance).Run(ctx, inv, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"VIGIL.AWS.EC2.03 batch FAIL", "VIGIL.AWS.EC2.03 web PASS"}, verdictLines(run)); diff != "" {
		t.Errorf("verdicts (-want +got):\n%s", diff)
	}
}
