# Databases, file systems, volumes and keys written the ways teams write
# them: for_each over a map, count, a module, variables with and without a
# value, references between resources.

variable "encrypt" {
  type    = bool
  default = true
}

# No default: set at apply time.
variable "public" {
  type = bool
}

variable "databases" {
  type = map(object({ multi_az = bool }))
  default = {
    billing   = { multi_az = true }
    analytics = { multi_az = false }
  }
}

resource "aws_kms_key" "rotated" {
  count               = 2
  description         = "team key ${count.index}"
  enable_key_rotation = true
}

resource "aws_kms_key" "hmac" {
  customer_master_key_spec = "HMAC_256"
  key_usage                = "GENERATE_VERIFY_MAC"
}

resource "aws_kms_key" "disabled" {
  is_enabled = false
}

resource "aws_db_instance" "per_team" {
  for_each                    = var.databases
  identifier                  = each.key
  engine                      = "postgres"
  instance_class              = "db.t3.micro"
  allocated_storage           = 20
  username                    = each.key
  manage_master_user_password = true
  storage_encrypted           = var.encrypt
  kms_key_id                  = aws_kms_key.rotated[0].arn
  multi_az                    = each.value.multi_az
}

# Restored from a snapshot: encrypted as the snapshot is.
resource "aws_db_instance" "restored" {
  identifier          = "restored"
  instance_class      = "db.t3.micro"
  snapshot_identifier = "rds:orders-2026-11-01-00-00"
  publicly_accessible = var.public
}

module "files" {
  source    = "./modules/files"
  encrypted = var.encrypt
}

resource "aws_ebs_volume" "logs" {
  availability_zone = "eu-west-1a"
  size              = 50
  encrypted         = false
}

resource "aws_volume_attachment" "logs" {
  device_name = "/dev/sdh"
  volume_id   = aws_ebs_volume.logs.id
  instance_id = "i-0abc1234def567890"
}

resource "aws_ebs_volume" "cache" {
  availability_zone = "eu-west-1b"
  type              = "gp3"
  encrypted         = true
}
