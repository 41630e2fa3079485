// name: single_source_facts
// description: Facts seen in only one source: candidates for corroboration before anyone relies on them
// params: {}
// view: table
MATCH (s:Entity)-[r]->(o:Entity)
WHERE size(coalesce(r.articles, [])) = 1
RETURN r.articles[0] AS article, s.name AS subject, type(r) AS relation, o.name AS object,
       r.negated AS negated, r.mention_count AS mentions
ORDER BY article, relation, subject, object
