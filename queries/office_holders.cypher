// name: office_holders
// description: Office holders of a state: people with a title in it or in one of its bodies
// params: {state: "United States"}
// view: table
// Follows PART_OF up to two levels, so a minister of a ministry of the state is included.
MATCH (c:Entity)
WHERE c.id = $state OR toLower(c.name) = toLower($state)
MATCH (p:Person)-[r:OFFICIAL_OF]->(body:Entity)
WHERE NOT coalesce(r.negated, false)
MATCH chain = (body)-[:PART_OF*0..2]->(c)
WHERE none(x IN relationships(chain) WHERE coalesce(x.negated, false))
RETURN DISTINCT p.name AS person, r.title AS title, body.name AS body, r.articles AS articles
ORDER BY person, body
