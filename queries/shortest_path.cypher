// name: shortest_path
// description: Shortest chain of facts linking two actors (e.g. two leaders), ignoring direction
// params: {from: "Benjamin Netanyahu", to: "Kenyatta"}
// view: graph
// Only entity-to-entity facts count (no hops through articles or evidence), and negated facts are skipped.
MATCH (a:Entity), (b:Entity)
WHERE (a.id = $from OR toLower(a.name) = toLower($from))
  AND (b.id = $to OR toLower(b.name) = toLower($to))
  AND a <> b
MATCH p = shortestPath((a)-[*..8]-(b))
WHERE all(n IN nodes(p) WHERE n:Entity)
  AND none(r IN relationships(p) WHERE coalesce(r.negated, false))
RETURN [n IN nodes(p) | n.name] AS names, [r IN relationships(p) | type(r)] AS relations,
       length(p) AS hops, p AS path
