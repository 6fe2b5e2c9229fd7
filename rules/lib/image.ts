// Container image references (`registry:5000/team/app:1.2@sha256:…`), shared by the
// Kubernetes, Dockerfile and compose rules.

export interface ImageRef {
  /** Registry host (with port) when the first path component looks like one. */
  registry?: string;
  /** Repository path without registry, e.g. "library/postgres" or "team/app". */
  repository: string;
  tag?: string;
  digest?: string;
}

export function parseImageRef(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry: string | undefined;
  const firstSlash = rest.indexOf('/');
  if (firstSlash > 0) {
    const first = rest.slice(0, firstSlash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(firstSlash + 1);
    }
  }
  return { registry, repository: rest, tag: tag || undefined, digest: digest || undefined };
}

/** The image's short name: the last path component of the repository ("postgres" for "bitnami/postgres"). */
export function imageName(image: string): string {
  const repo = parseImageRef(image).repository;
  return repo.slice(repo.lastIndexOf('/') + 1).toLowerCase();
}
