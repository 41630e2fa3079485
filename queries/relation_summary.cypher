// name: relation_summary
// description: How many facts of each relation the graph holds, with the CAMEO and PLOVER codes used
// params: {}
// view: table
MATCH (:Entity)-[r]->(:Entity)
WITH type(r) AS relation, r
ORDER BY r.cameo, r.plover
RETURN relation, count(r) AS facts,
       sum(CASE WHEN r.negated THEN 1 ELSE 0 END) AS negated,
       sum(coalesce(r.mention_count, 0)) AS mentions,
       collect(DISTINCT r.cameo) AS cameo, collect(DISTINCT r.plover) AS plover
ORDER BY facts DESC, relation
