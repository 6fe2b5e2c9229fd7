resource "aws_db_instance" "main" {
  identifier = "app"
  username   = "app"
  password   = var.db_password
}
