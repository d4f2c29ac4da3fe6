package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"vigil/entity"
)

// TypeIamServerCertificate is one SSL/TLS server certificate stored in
// IAM.
const TypeIamServerCertificate = "IamServerCertificate"

// serverCertificateAttrs are the attributes iam:ListServerCertificates
// fills.
var serverCertificateAttrs = []string{"id", "arn", "name", "serverCertificateId", "path", "uploadDate", "expiration"}

// serverCertificatesAction is the IAM service's action that lists the
// server certificates; iam.go registers it with the service.
var serverCertificatesAction = action{name: "iam:ListServerCertificates",
	purpose: "list the SSL/TLS server certificates stored in IAM, with when each expires",
	fills:   []fill{{TypeIamServerCertificate, serverCertificateAttrs}}}

// iamServerCertificates lists the account's server certificates, every
// page, one entity each. A failed or endless listing records a failure
// for the type, with no entities: the account's certificates are then
// unknown, not absent.
func (c *Collector) iamServerCertificates(ctx context.Context, region string) []*entity.Entity {
	const call = "iam:ListServerCertificates"
	var out []*entity.Entity
	var marker *string
	for range maxPages {
		var page *iam.ListServerCertificatesOutput
		if cerr := c.call(ctx, call, region, func(ctx context.Context) error {
			var err error
			page, err = c.iam(region).ListServerCertificates(ctx, &iam.ListServerCertificatesInput{
				Marker: marker, MaxItems: aws.Int32(1000)})
			return err
		}); cerr != nil {
			c.fail(cerr.failure(TypeIamServerCertificate, "", c.account, ""))
			return nil
		}
		for _, m := range page.ServerCertificateMetadataList {
			arn := aws.ToString(m.Arn)
			name := aws.ToString(m.ServerCertificateName)
			out = append(out, &entity.Entity{Type: TypeIamServerCertificate, ID: arn, Name: name, Scope: c.account,
				Origin: entity.Origin{API: []string{call}},
				Attrs: map[string]any{
					"id": arn, "arn": arn, "name": name, "serverCertificateId": aws.ToString(m.ServerCertificateId),
					"path": aws.ToString(m.Path), "uploadDate": timeOrNil(m.UploadDate), "expiration": timeOrNil(m.Expiration),
				}})
		}
		if !page.IsTruncated || aws.ToString(page.Marker) == "" {
			return out
		}
		marker = page.Marker
	}
	cerr := &callError{Call: call, Region: region, Err: fmt.Errorf("more than %d pages", maxPages)}
	c.fail(cerr.failure(TypeIamServerCertificate, "", c.account, ""))
	return nil
}
