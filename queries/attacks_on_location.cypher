// name: attacks_on_location
// description: Attacks on a place: strikes on it or on anything located inside it
// params: {location: "Yemen"}
// view: table
MATCH (l:Entity)
WHERE l.id = $location OR toLower(l.name) = toLower($location)
MATCH inside = (t:Entity)-[:LOCATED_IN*0..3]->(l)
WHERE none(x IN relationships(inside) WHERE coalesce(x.negated, false))
MATCH (x:Entity)-[r:ATTACKED]->(t)
WHERE NOT coalesce(r.negated, false)
RETURN DISTINCT x.name AS attacker, t.name AS target, r.dates AS dates, r.articles AS articles
ORDER BY target, attacker
