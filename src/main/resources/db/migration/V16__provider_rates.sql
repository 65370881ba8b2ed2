-- When each channel with a max-rate may make its next provider call, all instances together: a call takes the turn
-- if it has come, and moves the next one on by the channel's spacing.
CREATE TABLE provider_pace (
    channel_id  VARCHAR(200)  NOT NULL PRIMARY KEY,
    next_at     BIGINT        NOT NULL      -- epoch microseconds
);
