/** `kite.images.yaml`: the local control plane runs pods as processes; this maps the image to one. */
export const IMAGES_YAML = `# Which program each container image runs on kite's local control plane (\`kite up\`), which runs
# pods as local processes instead of pulling images. Paths starting with ./ are relative to this
# file. Base images (busybox, alpine, debian, ubuntu) need no entry: they run the container's own
# command on the host. Real clusters ignore this file.
images:
  example/hello:                  # any tag of docker.io/example/hello (stack.ts)
    command: [node, ./app/server.mjs]
`;
