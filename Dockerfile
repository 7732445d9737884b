# ElectionResults API image: restore and publish in the SDK image, run in the ASP.NET Core runtime image.
# Tags are pinned to the SDK and runtime that scripts/test and scripts/check-publish use on the dev/CI machine.
#
# scripts/check-publish replays the build stage below without Docker (same COPY set, same dotnet commands),
# so keep it to WORKDIR, plain `COPY <source>... <directory>/` and one-line `RUN dotnet ...` instructions.

FROM mcr.microsoft.com/dotnet/sdk:10.0.401 AS build
WORKDIR /src
# Restore from the files that decide the package graph first, so that this layer survives code edits.
# .editorconfig is part of the build: TreatWarningsAsErrors makes its analyzer settings pass or fail it.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ElectionResults.Api/ElectionResults.Api.csproj src/ElectionResults.Api/
RUN dotnet restore src/ElectionResults.Api/ElectionResults.Api.csproj
# The migrations are embedded into the assembly from the repository root (see the csproj).
COPY db-migrations/ db-migrations/
# So are the vendored results files of the demo night and the hex map of the pages.
COPY data/ data/
COPY src/ src/
RUN dotnet publish src/ElectionResults.Api/ElectionResults.Api.csproj -c Release -o /app/publish --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12 AS runtime
WORKDIR /app
# Kestrel listens on all interfaces inside the container, on 8080 (a port a non-root user may bind).
ENV ASPNETCORE_HTTP_PORTS=8080
COPY --from=build /app/publish .
# The image's unprivileged "app" user.
USER $APP_UID
EXPOSE 8080
# The runtime image has no curl or wget; bash can speak HTTP/1.0 over /dev/tcp well enough for a liveness probe.
# No --start-period: the first probe runs only after one interval and three failures are needed, which covers
# start-up (migrations included); dockerfilelint 1.8.0 also misreads hyphenated options such as --start-period.
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/${ASPNETCORE_HTTP_PORTS:-8080} && printf "GET /health/live HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && read -r -t 4 _ status _ <&3 && [ "$status" = 200 ]'
# Verbs: no argument serves; "migrate" applies the migrations; "demo-data" loads the demo data.
ENTRYPOINT ["dotnet", "ElectionResults.Api.dll"]
