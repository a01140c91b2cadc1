"""Downloading one request's body: over one connection, or over several at once.

``exchange`` sends a request and judges the reply, ``segments`` plans which
bytes each connection fetches, ``partfile`` writes bytes where they belong,
``placement`` names the file and puts it in place, ``transfer`` retries and
resumes, ``segmented`` runs several connections on one file.
"""
