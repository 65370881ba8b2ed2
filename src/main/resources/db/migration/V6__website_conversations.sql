-- A website visitor's widget reads its conversation, both directions, in the order it was stored.
CREATE INDEX ix_message_contact ON message (contact_id, seq);
