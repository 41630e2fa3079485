// name: negated_facts
// description: Negated facts: what the sources say did not happen (did not agree, did not meet...)
// params: {}
// view: table
MATCH (s:Entity)-[r]->(o:Entity)
WHERE r.negated = true
OPTIONAL MATCH (:Article)-[:HAS_EVIDENCE]->(ev:Evidence {fact_id: r.id})
WITH s, r, o, ev
ORDER BY ev.article_id, ev.start
RETURN s.name AS subject, type(r) AS relation, o.name AS object, r.articles AS articles,
       collect(ev.sentence) AS sentences
ORDER BY relation, subject, object
