-- 010_town_functions.sql — the report tallies' trigger functions (007)
-- bound to their own town's schema.  A county's database keeps each town
-- in a schema of its own (src/db/db_pg.c); a plpgsql function finds the
-- tables it names through the search_path of whoever fires it.  fangyi's
-- connections always have their town's, but a DBA's psql session (whose
-- search_path is "$user", public) updating shanwang.people would make the
-- triggers write public's tallies, or fail.  Each trigger function gets
-- the search_path of the migration that runs here, its town's, so it
-- reads and writes its own town's tables whoever fires it.  tally_round
-- reads no table and stays as it is (an inlinable SQL function).  A
-- trigger function added later must say SET search_path FROM CURRENT
-- itself.
DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
             WHERE p.pronamespace = current_schema()::regnamespace
               AND p.prorettype = 'trigger'::regtype LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path FROM CURRENT', f);
    END LOOP;
END $$;
