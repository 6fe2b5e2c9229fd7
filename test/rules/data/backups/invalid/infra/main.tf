resource "google_sql_database_instance" "reports" {
#^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ data/backups managed
  database_version = "POSTGRES_15"
  settings {
    tier = "db-f1-micro"
  }
}

resource "aws_db_instance" "audit" {
  engine                  = "mysql"
  backup_retention_period = 0
  #                         ^ data/backups managed
}

resource "aws_rds_cluster" "search" {
#^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ data/backups managed
  engine = "aurora-postgresql"
}
