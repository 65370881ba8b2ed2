-- The configuration version each instance of the cluster runs, and what kept it from running a newer one.
-- seen_at: its last look at the versions (every mehery.cluster.follow-every); an instance not seen for long is gone.
CREATE TABLE config_instance (
    instance_id  VARCHAR(200)     NOT NULL PRIMARY KEY,
    version      BIGINT           NOT NULL,
    problems     VARCHAR(100000)  NOT NULL,
    started_at   BIGINT           NOT NULL,
    seen_at      BIGINT           NOT NULL
);
