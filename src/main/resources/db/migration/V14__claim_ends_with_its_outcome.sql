-- claimed_at now marks an attempt under way: recording its outcome clears it, so that a claim still set after its
-- lease is one whose claimer died during the call. Attempts recorded before this version end their claims here.
UPDATE delivery SET claimed_at = NULL WHERE claimed_at IS NOT NULL
  AND EXISTS (SELECT 1 FROM delivery_attempt a WHERE a.delivery_id = delivery.id AND a.attempt = delivery.attempts);
