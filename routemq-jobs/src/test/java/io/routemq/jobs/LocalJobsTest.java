package io.routemq.jobs;

import java.util.List;

/** The contract on the local driver (H2 MVStore in a temporary directory). */
class LocalJobsTest extends JobStoreContract {
    @Override
    JobsConfig.Builder driver(JobsConfig.Builder b) {
        return b.driver(JobsConfig.Driver.LOCAL).dir(tmp.resolve("jobs"));
    }

    @Override
    JobStore openStore(JobsConfig config) {
        return JobStores.open(config, null, null);
    }

    @Override
    boolean oneStorePerProcess() {
        return true;
    }

    @Override
    List<String> childArgs(JobsConfig config) {
        return List.of(config.dir().toString(), "-");
    }
}
