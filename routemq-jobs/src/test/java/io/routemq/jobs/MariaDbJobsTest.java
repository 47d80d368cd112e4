package io.routemq.jobs;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;

/** The contract on the database driver, against the MariaDB on 127.0.0.1:3306 (skipped when there is none). */
class MariaDbJobsTest extends JobStoreContract {
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
    JobsConfig.Builder driver(JobsConfig.Builder b) {
        return b.driver(JobsConfig.Driver.DATABASE).tablePrefix(DB.prefix);
    }

    @Override
    JobStore openStore(JobsConfig config) {
        return JobStores.open(config, null, () -> DB.pool);
    }

    @Override
    List<String> childArgs(JobsConfig config) {
        return List.of(DB.prefix, DB.url);
    }
}
