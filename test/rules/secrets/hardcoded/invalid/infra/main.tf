resource "aws_db_instance" "main" {
  identifier = "app"
  username   = "app"
  password   = "Pv9cX3mN7qR2zL5w"
              # ^^^^^^^^^^^^^^^^ secrets/hardcoded assignment
}
