package io.routemq.jobs;

import java.util.List;

/** The contract on the database driver: each SQL database's test gives its fixture (and opens and drops it). */
abstract class SqlJobsContract extends JobStoreContract {

    /** The database of this test class. */
    abstract SqlJobsFixture db();

    @Override
    JobsConfig.Builder driver(JobsConfig.Builder b) {
        return b.driver(JobsConfig.Driver.DATABASE).tablePrefix(db().prefix);
    }

    @Override
    JobStore openStore(JobsConfig config) {
        SqlJobsFixture db = db();
        return JobStores.open(config, null, () -> db.pool);
    }

    @Override
    List<String> childArgs(JobsConfig config) {
        return List.of(db().prefix, db().url);
    }
}
