-- The tags of an inbound message (languages, sentiment, places, people, organisations, categories; JSON), computed
-- once off the request thread when its message/receive callback is first made, and kept so that the session's
-- history shows the tags its callback carried.
ALTER TABLE message ADD COLUMN tags VARCHAR(8000);
