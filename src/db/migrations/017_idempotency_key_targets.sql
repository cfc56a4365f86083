-- One Idempotency-Key names one request. Answers are kept per operation (idempotency_keys), so a key sent first to
-- one operation and then to another — or to the same operation on another resource, such as releasing a second
-- hold — was a fresh key there. As Stripe does, the key is now bound to what it was first sent to (operation and
-- path), per caller, and any other use of it is refused (422).
CREATE TABLE idempotency_key_targets (
  caller text NOT NULL,
  key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  target text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (caller, key)
);
CREATE INDEX idempotency_key_targets_age ON idempotency_key_targets (created_at);
