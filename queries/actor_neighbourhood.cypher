// name: actor_neighbourhood
// description: An actor and everything directly connected to it, as a graph
// params: {actor: "Hezbollah"}
// view: graph
MATCH (a:Entity)
WHERE a.id = $actor OR toLower(a.name) = toLower($actor)
   OR any(x IN coalesce(a.aliases, []) WHERE toLower(x) = toLower($actor))
MATCH p = (a)-[r]-(b:Entity)
RETURN a.name AS actor, type(r) AS relation, b.name AS other, r.negated AS negated, p AS path
ORDER BY relation, other
