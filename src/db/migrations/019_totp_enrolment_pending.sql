-- Starting a new authenticator enrolment used to overwrite the secret in force and switch the second factor off
-- until a code was confirmed: anyone holding a signed-in session could drop an account back to a password alone.
-- The new secret now waits beside the one in force and replaces it only when a code from it is confirmed.
ALTER TABLE staff_accounts ADD COLUMN totp_pending_secret text;
