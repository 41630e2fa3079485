// name: edge_evidence
// description: The evidence sentences and articles behind one edge (subject, relation, object)
// params: {subject: "Joe Biden", relation: "MET", object: "Benjamin Netanyahu"}
// view: table
// Subject and object match by id or name, and symmetric relations match in either orientation.
MATCH (s:Entity)-[r]-(o:Entity)
WHERE type(r) = toUpper($relation)
  AND (s.id = $subject OR toLower(s.name) = toLower($subject))
  AND (o.id = $object OR toLower(o.name) = toLower($object))
MATCH (art:Article)-[:HAS_EVIDENCE]->(ev:Evidence {fact_id: r.id})
RETURN startNode(r).name AS subject, type(r) AS relation, endNode(r).name AS object,
       r.negated AS negated, art.id AS article, art.title AS title, art.published AS published,
       ev.sentence AS sentence, ev.date AS date
ORDER BY article, ev.start
