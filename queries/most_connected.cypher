// name: most_connected
// description: Most connected actors: people, states, organisations and armed groups by number of facts
// params: {limit: 10}
// view: table
MATCH (a:Entity)-[r]-(b:Entity)
WHERE NOT a:Proposal AND NOT a:Location AND NOT coalesce(r.negated, false)
WITH a, count(DISTINCT r) AS facts, count(DISTINCT b) AS neighbours
RETURN a.name AS actor, a.type AS type, facts, neighbours
ORDER BY facts DESC, neighbours DESC, actor
LIMIT $limit
