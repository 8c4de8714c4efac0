-- gen-people.sql — a deterministic county-sized register for benchmarks:
-- :N people (set by bench/people.sh through the temp table bench_n),
-- one travel each, spread over the demo town's 16 villages and 48 grids.
-- ID numbers are unique but not checked here (rows go straight in).
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
                        WHERE i < (SELECT n FROM bench_n))
INSERT INTO people (name, id_number, id_flag, sex, birth_date, phone,
                    village_id, grid_id, address, notes, kind, measure,
                    period_days, screening, created_at, updated_at)
SELECT substr('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗', i % 20 + 1, 1)
       || substr('伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞', i / 20 % 20 + 1, 1)
       || substr('华平刚兰玲辉鹏飞燕红', i / 400 % 10 + 1, 1),
       printf('3707%02d%012d', i % 100, i), NULL,
       CASE i % 2 WHEN 0 THEN 'F' ELSE 'M' END,
       printf('%04d-%02d-%02d', 1940 + i % 70, i % 12 + 1, i % 28 + 1),
       printf('13%09d', i),
       (i % 16) + 1, 17 + (i % 16) * 3 + i % 3,
       printf('%d号', i % 300 + 1), '',
       CASE WHEN i % 50 = 0 THEN 'returnee_high'
            WHEN i % 10 = 0 THEN 'returnee_medium' ELSE NULL END,
       CASE WHEN i % 50 = 0 THEN 'home_isolation'
            WHEN i % 10 = 0 THEN 'home_monitoring' ELSE 'none' END,
       CASE WHEN i % 10 = 0 THEN 14 ELSE 0 END,
       'confirmed', '2020-02-01T00:00:00Z', '2020-02-01T00:00:00Z'
FROM n;

INSERT INTO travels (person_id, origin_code, origin_text, via, left_date,
                     return_date, transport, source, status, risk_level,
                     created_at)
SELECT id,
       CASE id % 4 WHEN 0 THEN '420100' WHEN 1 THEN '110101'
                   WHEN 2 THEN '310101' ELSE '440106' END,
       CASE id % 4 WHEN 0 THEN '湖北省武汉市' WHEN 1 THEN '北京市东城区'
                   WHEN 2 THEN '上海市黄浦区' ELSE '广东省广州市天河区' END,
       '', printf('2020-01-%02d', id % 28 + 1),
       printf('2020-01-%02d', id % 28 + 2), 'rail', 'door_to_door',
       'returned',
       CASE WHEN id % 50 = 0 THEN 'high' WHEN id % 10 = 0 THEN 'medium'
            ELSE 'none' END,
       '2020-02-01T00:00:00Z'
FROM people;
