package rules

// entityAbout describes, in a few sentences, the cloud service behind each
// entity type the catalog's rules are about, for "vigil rules show".
var entityAbout = map[string]string{
	"CloudTrail": `AWS CloudTrail records the actions taken in an AWS account, whether through the console, the
command line, SDKs or other AWS services, as a history of API calls. That history is the basis for
operational and security auditing, for tracking who changed which resource, and for investigating incidents.
A trail delivers the events to S3 and, optionally, to CloudWatch Logs, where metric filters and alarms can
react to them.`,
	"aws_cloudtrail": `The aws_cloudtrail resource of the Terraform AWS provider declares a CloudTrail trail: where it
delivers log files (S3, CloudWatch Logs), which regions and events it records, and how its logs are
protected. Rules on it check the code before it is applied.`,
}

// AboutEntity returns a short description of the service behind an entity
// type, or "" when vigil has none.
func AboutEntity(typ string) string { return entityAbout[typ] }
