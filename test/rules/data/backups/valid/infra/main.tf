resource "aws_db_instance" "ledger" {
  engine                  = "postgres"
  instance_class          = "db.t4g.medium"
  backup_retention_period = 14
}
