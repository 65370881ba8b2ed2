-- Why a message failed, as its provider said (WhatsApp status errors, a 4xx to a send, ...).
ALTER TABLE message ADD COLUMN failure VARCHAR(2000);
