// name: conflict_dyads
// description: Conflict dyads: pairs at war or in hostilities, with each side's state sponsors
// params: {}
// view: table
MATCH (a:Entity)-[r:IN_CONFLICT_WITH]->(b:Entity)
WHERE NOT coalesce(r.negated, false)
OPTIONAL MATCH (a)-[pa:PROXY_OF]->(sa:Entity)
WHERE NOT coalesce(pa.negated, false)
WITH a, b, r, collect(DISTINCT sa.name) AS sponsors_a
OPTIONAL MATCH (b)-[pb:PROXY_OF]->(sb:Entity)
WHERE NOT coalesce(pb.negated, false)
RETURN a.name AS side_a, b.name AS side_b, sponsors_a, collect(DISTINCT sb.name) AS sponsors_b,
       r.articles AS articles
ORDER BY side_a, side_b
