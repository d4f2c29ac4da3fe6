# Databases, file systems, volumes and the key that encrypts them.
#
# The orders database, the shared file system and the data volume are
# encrypted with the rotated key "data"; the reports database and the
# scratch file system show what the storage rules catch; the scratch volume
# does not ask for encryption, so whether it is encrypted depends on the
# region's EBS encryption by default (UNKNOWN in code).

resource "aws_kms_key" "data" {
  description             = "Encrypts the orders database, the shared file system and the data volume"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

# A key for signing release artefacts: asymmetric keys cannot rotate, and
# the rotation rule does not concern them.
resource "aws_kms_key" "signing" {
  description              = "Signs release artefacts"
  customer_master_key_spec = "RSA_2048"
  key_usage                = "SIGN_VERIFY"
}

resource "aws_db_instance" "orders" {
  identifier                  = "orders"
  engine                      = "postgres"
  engine_version              = "16.3"
  instance_class              = "db.t3.micro"
  allocated_storage           = 20
  username                    = "orders"
  manage_master_user_password = true
  db_subnet_group_name        = "private-db"
  storage_encrypted           = true
  kms_key_id                  = aws_kms_key.data.arn
  multi_az                    = true
  backup_retention_period     = 7
  tags = {
    team = "payments"
  }
}

# Unencrypted, reachable from the internet, never upgraded, single-AZ.
resource "aws_db_instance" "reports" {
  identifier                  = "reports"
  engine                      = "mysql"
  instance_class              = "db.t3.micro"
  allocated_storage           = 20
  username                    = "reports"
  manage_master_user_password = true
  publicly_accessible         = true
  auto_minor_version_upgrade  = false
  backup_retention_period     = 1
}

resource "aws_efs_file_system" "shared" {
  encrypted  = true
  kms_key_id = aws_kms_key.data.arn
  tags = {
    Name = "shared-home"
  }
}

resource "aws_efs_file_system" "scratch" {
  creation_token = "scratch"
}

resource "aws_ebs_volume" "data" {
  availability_zone = "${var.region}a"
  size              = 20
  type              = "gp3"
  encrypted         = true
  kms_key_id        = aws_kms_key.data.arn
  tags = {
    Name = "web-data"
  }
}

resource "aws_volume_attachment" "data" {
  device_name = "/dev/sdf"
  volume_id   = aws_ebs_volume.data.id
  instance_id = "i-0123456789abcdef0"
}

resource "aws_ebs_volume" "scratch" {
  availability_zone = "${var.region}a"
  size              = 100
}
