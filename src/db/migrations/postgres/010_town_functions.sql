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
--
-- A town that fangyi migrate-data copied in before the copy marked its end
-- (migrate_progress's source row, tbl '', finished = 1: src/db/copy.h)
-- gets that mark when every table of its schema was copied to the end,
-- so that fangyi county counts it; a copy interrupted before then stays
-- unmarked until migrate-data is run again and finishes it.
DO $$
DECLARE f regprocedure;
BEGIN
    IF to_regclass('migrate_progress') IS NOT NULL THEN
        EXECUTE $u$
            UPDATE migrate_progress SET finished = 1
            WHERE tbl = '' AND NOT EXISTS (
                SELECT 1 FROM pg_tables t
                WHERE t.schemaname = current_schema()
                  AND t.tablename NOT IN ('schema_version', 'migrate_progress')
                  AND NOT EXISTS (SELECT 1 FROM migrate_progress p
                                  WHERE p.tbl = t.tablename AND p.finished = 1))
        $u$;
    END IF;
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
             WHERE p.pronamespace = current_schema()::regnamespace
               AND p.prorettype = 'trigger'::regtype LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path FROM CURRENT', f);
    END LOOP;
END $$;
