-- MariaDB and Redis as one-click databases.
ALTER TYPE "DatabaseEngine" ADD VALUE 'mariadb';
ALTER TYPE "DatabaseEngine" ADD VALUE 'redis';
