-- An application's events have one index, by application and time (bench/payments.sh,
-- docs/adr/0036). How often a transition was taken reads the application's few events through
-- it; every step wrote an entry to a second index for that alone.
-- Same meaning as postgres/0009_one_index_of_events.sql.
DROP INDEX application_events_transition;
