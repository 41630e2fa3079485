// name: co_mentioned
// description: Entities mentioned in the same articles as an actor, by number of shared articles
// params: {actor: "Israel", limit: 20}
// view: table
MATCH (a:Entity)
WHERE a.id = $actor OR toLower(a.name) = toLower($actor)
MATCH (a)<-[:MENTIONS]-(art:Article)-[:MENTIONS]->(b:Entity)
WHERE b <> a
WITH b, art
ORDER BY art.id
WITH b, collect(DISTINCT art.id) AS articles
RETURN b.name AS entity, b.type AS type, size(articles) AS shared_articles, articles
ORDER BY shared_articles DESC, entity
LIMIT $limit
