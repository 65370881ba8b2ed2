-- When each channel with a max-rate may make its next provider call, all instances together: a call takes the next
-- free turn (now, or later to wait for) and moves the one after it on by the channel's spacing.
CREATE TABLE provider_pace (
    channel_id  VARCHAR(200)  NOT NULL PRIMARY KEY,
    next_at     BIGINT        NOT NULL      -- epoch microseconds
);
