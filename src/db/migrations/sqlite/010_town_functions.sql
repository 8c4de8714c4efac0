-- 010_town_functions.sql — nothing to do on SQLite, where a database file
-- holds one town.  The PostgreSQL twin binds the report tallies' trigger
-- functions to their town's schema (postgres/010_town_functions.sql).
SELECT 1;
