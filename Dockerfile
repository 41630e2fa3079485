# The HTTP API image used by docker-compose.yml (service "api").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY . /app
# Editable install keeps schema/ and examples/ next to the code, where the CLI looks for them.
RUN pip install -e . \
    && useradd --create-home --uid 10001 kg \
    && chown -R kg /app
USER kg

ENV KG_STORE=neo4j \
    KG_NEO4J_URI=bolt://neo4j:7687
EXPOSE 8000
CMD ["kg", "serve", "--host", "0.0.0.0", "--port", "8000"]
