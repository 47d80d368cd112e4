package io.routemq.jobs;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on the database driver, against the MariaDB on 127.0.0.1:3306 (skipped when there is none). */
class MariaDbJobsTest extends SqlJobsContract {
    static final SqlJobsFixture DB = new SqlJobsFixture("jdbc:mariadb://127.0.0.1:3306/test", "root");

    @BeforeAll
    static void connect() {
        DB.open();
    }

    @AfterAll
    static void drop() {
        DB.drop();
    }

    @Override
    SqlJobsFixture db() {
        return DB;
    }
}
