package io.routemq.jobs;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on the database driver, against the PostgreSQL on 127.0.0.1:5432 (skipped when there is none). */
class PostgresJobsTest extends SqlJobsContract {
    static final SqlJobsFixture DB = new SqlJobsFixture("jdbc:postgresql://127.0.0.1:5432/test", "postgres");

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
