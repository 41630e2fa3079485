// name: multi_source_facts
// description: Corroborated facts: facts supported by at least min_sources different articles
// params: {min_sources: 2}
// view: table
MATCH (s:Entity)-[r]->(o:Entity)
WHERE size(coalesce(r.articles, [])) >= $min_sources
RETURN s.name AS subject, type(r) AS relation, o.name AS object, r.negated AS negated,
       size(r.articles) AS sources, r.articles AS articles
ORDER BY sources DESC, relation, subject, object
