-- Every configuration the gateway ran or was asked to run: what changed, where it came from, and how it ended.
-- document: the tenants, channels and templates applied (secrets included: they are the configuration), for rollback.
CREATE TABLE config_version (
    version     BIGINT           NOT NULL PRIMARY KEY,
    created_at  BIGINT           NOT NULL,
    source      VARCHAR(20)      NOT NULL,
    outcome     VARCHAR(20)      NOT NULL,
    changes     VARCHAR(100000)  NOT NULL,
    problems    VARCHAR(100000)  NOT NULL,
    base        VARCHAR(64),
    document    VARCHAR(1000000)
);
