resource "aws_cloudtrail" "t0" {
  name                       = "trail-0"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t1" {
  name                       = "trail-1"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t2" {
  name                       = "trail-2"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t3" {
  name                       = "trail-3"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t4" {
  name                       = "trail-4"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t5" {
  name                       = "trail-5"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t6" {
  name                       = "trail-6"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t7" {
  name                       = "trail-7"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t8" {
  name                       = "trail-8"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t9" {
  name                       = "trail-9"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t10" {
  name                       = "trail-10"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t11" {
  name                       = "trail-11"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t12" {
  name                       = "trail-12"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t13" {
  name                       = "trail-13"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t14" {
  name                       = "trail-14"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t15" {
  name                       = "trail-15"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t16" {
  name                       = "trail-16"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t17" {
  name                       = "trail-17"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t18" {
  name                       = "trail-18"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t19" {
  name                       = "trail-19"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t20" {
  name                       = "trail-20"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t21" {
  name                       = "trail-21"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t22" {
  name                       = "trail-22"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t23" {
  name                       = "trail-23"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t24" {
  name                       = "trail-24"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t25" {
  name                       = "trail-25"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t26" {
  name                       = "trail-26"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t27" {
  name                       = "trail-27"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t28" {
  name                       = "trail-28"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t29" {
  name                       = "trail-29"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t30" {
  name                       = "trail-30"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t31" {
  name                       = "trail-31"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t32" {
  name                       = "trail-32"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t33" {
  name                       = "trail-33"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t34" {
  name                       = "trail-34"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t35" {
  name                       = "trail-35"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t36" {
  name                       = "trail-36"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t37" {
  name                       = "trail-37"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t38" {
  name                       = "trail-38"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t39" {
  name                       = "trail-39"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t40" {
  name                       = "trail-40"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t41" {
  name                       = "trail-41"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t42" {
  name                       = "trail-42"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t43" {
  name                       = "trail-43"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t44" {
  name                       = "trail-44"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t45" {
  name                       = "trail-45"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t46" {
  name                       = "trail-46"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t47" {
  name                       = "trail-47"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t48" {
  name                       = "trail-48"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "t49" {
  name                       = "trail-49"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = aws_kms_key.trail.arn
}

