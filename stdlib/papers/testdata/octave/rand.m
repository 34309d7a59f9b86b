function r = rand(varargin)
  % Shadows the builtin: rand() with no argument returns the next draw of
  % the sequence the Go test wrote (global LLMSAM_U), so that the authors'
  % code makes the same random choices as the Go run.
  global LLMSAM_U LLMSAM_UK
  if nargin == 0 && ~isempty(LLMSAM_U)
    LLMSAM_UK = LLMSAM_UK + 1;
    if LLMSAM_UK > numel(LLMSAM_U)
      error('llmsam: out of uniform draws after %d', numel(LLMSAM_U));
    end
    r = LLMSAM_U(LLMSAM_UK);
  else
    r = builtin('rand', varargin{:});
  end
end
