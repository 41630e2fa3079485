// name: proxy_network
// description: Proxy networks: armed groups and their state sponsors, and whom the proxies fight (two hops)
// params: {sponsor: ""}
// view: graph
// Empty sponsor means every sponsor. Returns names for tables and the paths for the graph view.
MATCH sp = (g:Entity)-[pr:PROXY_OF]->(s:Entity)
WHERE NOT coalesce(pr.negated, false)
  AND ($sponsor = "" OR s.id = $sponsor OR toLower(s.name) = toLower($sponsor))
OPTIONAL MATCH hp = (g)-[h:ATTACKED|IN_CONFLICT_WITH|THREATENED]-(t:Entity)
WHERE NOT coalesce(h.negated, false) AND t <> s
WITH s, g, sp, t, hp
ORDER BY t.name
RETURN s.name AS sponsor, g.name AS proxy, collect(DISTINCT t.name) AS adversaries,
       sp AS sponsorship, collect(hp) AS hostilities
ORDER BY sponsor, proxy
