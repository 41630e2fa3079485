// name: article_facts
// description: What one article says: every fact it supports, with the sentence
// params: {article: "000"}
// view: table
MATCH (art:Article {id: $article})-[:HAS_EVIDENCE]->(ev:Evidence)
MATCH (ev)-[:SUBJECT]->(s:Entity)
MATCH (ev)-[:OBJECT]->(o:Entity)
RETURN s.name AS subject, ev.relation AS relation, o.name AS object, ev.negated AS negated,
       ev.date AS date, ev.sentence AS sentence
ORDER BY ev.start, relation, subject, object
