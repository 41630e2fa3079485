// name: allies_and_backers
// description: Who stands with an actor: its allies, and those who aid or politically support it
// params: {actor: "United Kingdom"}
// view: table
MATCH (a:Entity)
WHERE a.id = $actor OR toLower(a.name) = toLower($actor)
MATCH (b:Entity)-[r:ALLY_OF|AIDED|SUPPORTED]-(a)
WHERE NOT coalesce(r.negated, false)
  AND (type(r) = 'ALLY_OF' OR endNode(r) = a)
RETURN b.name AS partner, b.type AS type, collect(DISTINCT type(r)) AS ties
ORDER BY partner
