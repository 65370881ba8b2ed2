-- What each instance of the cluster did, a row every mehery.console.sample-every (accepts, sends, callbacks, the lag's
-- histogram, backlogs; JSON): the console's overview draws the last 15 minutes of every instance, and of them all,
-- from here. Rows older than an hour are deleted by the instance that wrote them, or, once it is gone, by any.
CREATE TABLE instance_figures (
    instance_id  VARCHAR(200)    NOT NULL,
    sampled_at   BIGINT          NOT NULL,
    figures      VARCHAR(100000) NOT NULL,
    PRIMARY KEY (instance_id, sampled_at)
);
CREATE INDEX ix_instance_figures_sampled ON instance_figures (sampled_at);
