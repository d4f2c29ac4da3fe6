package awsfake

import (
	"fmt"
	"strings"
)

func init() {
	registerService(fakeService{name: "rds", protocol: awsQuery, tokenInvalidWhenDisabled: true,
		handlers: map[string]handler{
			"DescribeDBInstances": (*Server).describeDBInstances,
		}})
}

// DBInstance is one RDS DB instance, in one account and region.
type DBInstance struct {
	Account, Region, ID string
	// Engine is "postgres" when empty.
	Engine                   string
	Encrypted                bool
	KMSKeyID                 string
	Public                   bool
	AutoMinorUpgrade         bool
	MultiAZ                  bool
	BackupRetention          int
	SubnetGroup, VPC         string
	Tags                     map[string]string
	ClusterID, InstanceClass string
}

// ARN returns the instance's ARN.
func (d DBInstance) ARN() string {
	return fmt.Sprintf("arn:aws:rds:%s:%s:db:%s", d.Region, d.Account, d.ID)
}

// describeDBInstances pages through the DB instances of the caller's
// account and region, as the Query protocol writes them, Marker by Marker.
func (s *Server) describeDBInstances(req *request) (any, *apiError) {
	var dbs []DBInstance
	for _, d := range s.world.DBInstances {
		if d.Account == req.account && d.Region == req.region {
			dbs = append(dbs, d)
		}
	}
	start, end, next, aerr := s.page(req.form.Get("Marker"), len(dbs))
	if aerr != nil {
		return nil, aerr
	}
	var b strings.Builder
	b.WriteString("<DBInstances>")
	for _, d := range dbs[start:end] {
		fmt.Fprintf(&b, "<DBInstance><DBInstanceIdentifier>%s</DBInstanceIdentifier><DBInstanceArn>%s</DBInstanceArn>"+
			"<Engine>%s</Engine><EngineVersion>16.3</EngineVersion><DBInstanceClass>%s</DBInstanceClass>"+
			"<DBInstanceStatus>available</DBInstanceStatus><StorageEncrypted>%t</StorageEncrypted>"+
			"<PubliclyAccessible>%t</PubliclyAccessible><AutoMinorVersionUpgrade>%t</AutoMinorVersionUpgrade>"+
			"<MultiAZ>%t</MultiAZ><BackupRetentionPeriod>%d</BackupRetentionPeriod>",
			esc(d.ID), esc(d.ARN()), esc(or(d.Engine, "postgres")), esc(or(d.InstanceClass, "db.t3.micro")),
			d.Encrypted, d.Public, d.AutoMinorUpgrade, d.MultiAZ, d.BackupRetention)
		if d.KMSKeyID != "" {
			fmt.Fprintf(&b, "<KmsKeyId>%s</KmsKeyId>", esc(d.KMSKeyID))
		}
		if d.ClusterID != "" {
			fmt.Fprintf(&b, "<DBClusterIdentifier>%s</DBClusterIdentifier>", esc(d.ClusterID))
		}
		if d.SubnetGroup != "" {
			fmt.Fprintf(&b, "<DBSubnetGroup><DBSubnetGroupName>%s</DBSubnetGroupName><VpcId>%s</VpcId></DBSubnetGroup>",
				esc(d.SubnetGroup), esc(d.VPC))
		}
		b.WriteString("<TagList>")
		for _, k := range sortedKeys(d.Tags) {
			fmt.Fprintf(&b, "<Tag><Key>%s</Key><Value>%s</Value></Tag>", esc(k), esc(d.Tags[k]))
		}
		b.WriteString("</TagList></DBInstance>")
	}
	b.WriteString("</DBInstances>")
	if next != "" {
		b.WriteString("<Marker>" + esc(next) + "</Marker>")
	}
	return b.String(), nil
}
